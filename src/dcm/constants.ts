/**
 * The constants of `dcm/dcm_api.h`. The names are the SDK's; the values are kos-ipc's (the
 * SDK's are not public). DCM signals its events with KnNoticeSetObjectEvent on the object a DCM
 * handle names, so the four flags are user event bits, OBJECT_EVENT_USER(0..3).
 */

/** A server published or unpublished an endpoint the subscription matches (on a subscription handle). */
export const DCM_PUBLICATION_CHANGED = 0x01000000;
/** A client asked for a channel to the endpoint (on a publication handle): DcmListen will not wait. */
export const DCM_CLIENT_CONNECTED = 0x02000000;
/** A blocking DcmConnect, DcmReadPubQueue or DcmListen on the handle was interrupted. */
export const DCM_BLOCKING_CALL_INTERRUPTED = 0x04000000;
/** The server accepted or refused the request (on a connection handle): DcmConnect will not wait. */
export const DCM_CLIENT_RELEASED_BY_SERVER = 0x08000000;
/** Every DCM event flag. */
export const DCM_EVENT_MASK = 0x0f000000;
/** The id of the "resource-event mask" entries DcmSubscribeToEvents adds: EventDesc.eventId ('DCM\0'). */
export const DCM_EVENT_ID = 0x44434d00;

/** DcmReadPubQueue's outPubStatus: the endpoint was published. */
export const DCM_PUBLISHED = 1;
/** DcmReadPubQueue's outPubStatus: the endpoint was unpublished (closed, or its server ended). */
export const DCM_UNPUBLISHED = 2;
/** A value of outPubStatus. */
export type DcmPubStatus = typeof DCM_PUBLISHED | typeof DCM_UNPUBLISHED;

/** Bytes of a DCM name (endpoint, interface, process) including its terminating zero: the SDK's UCoreStringSize. */
export const DCM_NAME_SIZE = 256;

/** The class of the DCM process and the id of the static channel to it (init.yaml `connections`). */
export const DCM_CONNECTION = 'kl.core.DCM';

/** A DCM handle: a handle of this process naming an object of the DCM program. */
export type DcmHandle = number;
