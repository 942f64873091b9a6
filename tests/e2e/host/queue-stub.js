// What a site owner pastes to use the JS API before the loader has arrived.
window.bangtin = window.bangtin || function () { (bangtin.q = bangtin.q || []).push(arguments); };
bangtin('mount', document.getElementById('queued'), { widget: 'rating', article: 'e2e/queued', scale: 'thumbs' });
