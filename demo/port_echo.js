// The postMessage / MessageChannel echo server: a plain module worker (no kos-ipc). Its first
// message says where to serve: { port } (a MessageChannel port) or 'self' (postMessage with the
// page).
import { servePort } from './port_messages.js';

self.onmessage = (e) => {
  self.onmessage = null;
  servePort(e.data === 'self' ? self : e.data.port);
};
