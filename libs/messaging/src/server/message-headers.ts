import { headers as natsHeaders, type JsMsg, type MsgHdrs } from 'nats';

/** Header carrying the sender's MessageMetadata (correlation, causation, actor) as JSON. */
export const METADATA_HEADER = 'Bascule-Metadata';
export const MSG_ID_HEADER = 'Nats-Msg-Id';

export function headersOf(msg: Pick<JsMsg, 'headers'>): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  if (!msg.headers) return result;
  for (const [key, values] of msg.headers) result[key] = [...values];
  return result;
}

export function toNatsHeaders(values: Record<string, string>): MsgHdrs {
  const result = natsHeaders();
  for (const [key, value] of Object.entries(values)) result.set(key, value);
  return result;
}

/** First value of a header, matched without regard to case (HTTP-style senders lower-case them). */
export function headerValue(headers: Record<string, string[]>, name: string): string | undefined {
  const wanted = name.toLowerCase();
  const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === wanted);
  return key === undefined ? undefined : headers[key][0];
}
