// A page that blocks storage, as a sandboxed frame or a strict privacy mode does: reading
// window.localStorage throws.
Object.defineProperty(window, 'localStorage', {
  get() { throw new DOMException('The operation is insecure.', 'SecurityError'); },
});
