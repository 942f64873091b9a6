// The host page's own clock: if a widget ever blocked the page, this would stop counting.
window.ticks = 0;
setInterval(() => { window.ticks += 1; }, 50);
