/**
 * `handle/handletype.h`: the range of `type` KnHandleCreateUserObject accepts. The names are the
 * SDK's; the values are kos-ipc's. The type is kept with the object and has no other effect.
 */
export { HANDLE_TYPE_USER_FIRST, HANDLE_TYPE_USER_LAST } from '../abi.js';
