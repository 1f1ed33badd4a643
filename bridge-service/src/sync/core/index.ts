// The sync engine's pure core: maps, mapping, snapshots, merge, event parsers, routing.
export * from './maps/types';
export * from './maps/filters';
export * from './maps/transforms';
export * from './maps/metadata';
export * from './maps/order';
export * from './maps/validate';
export * from './maps/shipped/index';
export * from './mapping';
export * from './snapshot';
export * from './conflict';
export * from './events/wire';
export * from './events/remote-execution-context';
export * from './events/business-event';
export * from './maps/load-reference';
export * from './routing';
export * from './deletes';
