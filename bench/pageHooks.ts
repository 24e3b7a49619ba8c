/**
 * Bench-only page hooks, added with `context.addInitScript`. Page scripts are
 * strings: tsx would wrap functions with a `__name` helper the page does not have.
 */

/** Keeps every RTCPeerConnection the page makes in `window.__pcs`, so getStats can be read from outside the app. */
export const keepPeerConnections = `(() => {
  const Original = window.RTCPeerConnection;
  const kept = [];
  window.__pcs = kept;
  window.RTCPeerConnection = class extends Original {
    constructor(config) { super(config); kept.push(this); }
  };
})()`;
