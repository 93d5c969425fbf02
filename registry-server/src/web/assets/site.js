// Progressive enhancement only: every page works without this file. It reveals the copy buttons and copies
// the command next to them (clipboard API first; selecting the text and execCommand as the fallback).
/* global document, window, navigator */
(function () {
  'use strict';
  function copy(button) {
    var input = document.getElementById(button.getAttribute('data-copy-target'));
    var status = button.parentElement && button.parentElement.querySelector('.copy-status');
    if (!input) return;
    function done(ok) {
      if (status) status.textContent = ok ? 'Copied to clipboard' : 'Selected: press Ctrl+C (⌘C) to copy';
      button.textContent = ok ? 'Copied' : 'Copy';
      window.setTimeout(function () { button.textContent = 'Copy'; }, 2000);
    }
    function fallback() {
      input.focus();
      input.select();
      var ok = false;
      try { ok = document.execCommand('copy'); } catch { ok = false; }
      done(ok);
    }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(input.value).then(function () { input.select(); done(true); }, fallback);
    } else {
      fallback();
    }
  }
  function init() {
    var buttons = document.querySelectorAll('button[data-copy-target]');
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].hidden = false;
      buttons[i].addEventListener('click', function (ev) { copy(ev.currentTarget); });
    }
    // Clicking a read-only command selects all of it, which helps the no-clipboard case too.
    var commands = document.querySelectorAll('input.command');
    for (var j = 0; j < commands.length; j++) {
      commands[j].addEventListener('focus', function (ev) { ev.currentTarget.select(); });
    }
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
