// A page that has frozen the JavaScript intrinsics (what SES's lockdown() does to them).
for (const name of Object.getOwnPropertyNames(globalThis)) {
  const value = globalThis[name];
  if (typeof value === 'function' && /^[A-Z]/.test(name) && value.prototype) {
    try { Object.freeze(value.prototype); Object.freeze(value); } catch (e) {}
  }
}
Object.freeze(Object.prototype);
Object.freeze(Object);
Object.freeze(JSON);
Object.freeze(Math);
Object.freeze(Reflect);
