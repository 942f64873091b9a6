// Placeholders added long after load, by a script that arrives late.
window.addLate = (html) => {
  const div = document.createElement('div');
  div.innerHTML = html;
  document.querySelector('main').append(...div.children);
};
