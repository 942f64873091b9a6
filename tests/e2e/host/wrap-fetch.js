// A page that wraps window.fetch, as analytics and ad scripts do.
const original = window.fetch;
window.fetchCalls = 0;
window.fetch = function (...args) {
  window.fetchCalls += 1;
  return original.apply(this, args);
};
