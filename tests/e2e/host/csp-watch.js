// Records every Content-Security-Policy violation the page reports (the tests read it).
window.violations = [];
document.addEventListener('securitypolicyviolation', (e) => window.violations.push(`${e.violatedDirective} ${e.blockedURI}`));
