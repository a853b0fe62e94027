/** The planner's BusClient (commands to the agents, the rollback command). */
export const BUS_CLIENT = Symbol('BUS_CLIENT');
