/**
 * `coresrv/dcm/dcm_api.h`, the SDK 1.4 path of the DCM client library: the same module as
 * `kos-ipc/dcm/dcm_api` (SDK 1.3's `dcm/dcm_api.h`, the seed's).
 */
export * from '../../dcm/dcm_api.js';
