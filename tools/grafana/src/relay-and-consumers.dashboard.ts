import { QueryVariableBuilder, RowBuilder, VariableRefresh, VariableSort, type Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { PROMETHEUS } from './datasources';
import { basculeDashboard } from './bascule-dashboard';
import { bars, byService, numberPanels, quantiles, stat, timeseries } from './panels';

const CONSUMER = '{consumer=~"$consumer"}';

/**
 * The messaging plumbing: the outbox relay moving events from Postgres to JetStream, and every
 * durable consumer's backlog, redeliveries, dead letters and handling time.
 */
export function relayAndConsumers(): Dashboard {
  const builder = basculeDashboard(
    'Relay and consumers',
    'bascule-relay-consumers',
    'Outbox relay lag and throughput; per JetStream consumer: pending, redeliveries, dead letters, handled messages and handling time.',
    'now-1h',
  )
    .withVariable(
      new QueryVariableBuilder('consumer')
        .label('Consumer')
        .datasource(PROMETHEUS)
        .query('label_values(bascule_messages_handled_total, consumer)')
        .refresh(VariableRefresh.OnTimeRangeChanged)
        .sort(VariableSort.AlphabeticalAsc)
        .multi(true)
        .includeAll(true)
        .allValue('.*'),
    )

    .withRow(new RowBuilder('Relay'))
    .withPanel(stat('Processes up by service', 'short', [{ expr: 'count by (service) (bascule_service_info)', legend: '{{service}}' }]).span(24).height(4))
    .withPanel(
      timeseries('Relay lag by service', 's', [{ expr: `max by (service) (${byService('bascule_relay_lag_seconds')})`, legend: '{{service}}' }], 'Age of the oldest event appended to the store and not yet published to JetStream.')
        .span(12)
        .height(8),
    )
    .withPanel(
      timeseries('Relay published/s by service', 'ops', [{ expr: `sum by (service) (${byService('rate(bascule_relay_published_total[$__rate_interval])')})`, legend: '{{service}}' }])
        .span(12)
        .height(8),
    )

    .withRow(new RowBuilder('Consumers'))
    .withPanel(
      // Pending is the JetStream consumer's number: every replica sharing the durable reports the same one.
      timeseries('Pending messages by consumer', 'short', [{ expr: `max by (consumer) (bascule_consumer_pending_messages${CONSUMER})`, legend: '{{consumer}}' }]).span(12).height(8),
    )
    .withPanel(
      timeseries('Handled/s by consumer and outcome', 'ops', [{ expr: `sum by (consumer, outcome) (rate(bascule_messages_handled_total${CONSUMER}[$__rate_interval]))`, legend: '{{consumer}} {{outcome}}' }])
        .span(12)
        .height(8),
    )
    .withPanel(
      timeseries('Redeliveries/s by consumer', 'ops', [{ expr: `sum by (consumer) (rate(bascule_consumer_redeliveries_total${CONSUMER}[$__rate_interval]))`, legend: '{{consumer}}' }]).span(8).height(8),
    )
    .withPanel(
      bars(timeseries('Dead letters by consumer', 'short', [{ expr: `sum by (consumer) (increase(bascule_dead_letters_total${CONSUMER}[$__rate_interval]))`, legend: '{{consumer}}' }], 'Messages given up on after their last delivery attempt.'))
        .span(8)
        .height(8),
    )
    .withPanel(stat('Dead letters in range', 'short', [{ expr: `sum by (consumer) (increase(bascule_dead_letters_total${CONSUMER}[$__range]))`, legend: '{{consumer}}' }]).span(8).height(8))
    .withPanel(timeseries('Handling time p50 / p95 by consumer', 's', quantiles('bascule_message_handling_seconds', ['consumer'], CONSUMER)).span(24).height(9));
  return numberPanels(builder.build());
}
