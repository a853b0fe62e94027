export * from './recorded-migration';
export * from './wait-for';
