export { KvsEmulator, KVS_LIMITS } from './kvs-emulator';
export type { EntityDefinition, KvsFault, KvsFaultPredicate, KvsSnapshot, KvsStats, KvsWireCall, KvsWireResponse, KvsEmulatorOptions } from './kvs-emulator';
