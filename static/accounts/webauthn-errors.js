// Passkeys (allauth's webauthn.js): show the page's error box instead of a console message
// when the browser cannot create or use a passkey, and say so at once where it has no WebAuthn.
(function () {
  'use strict'
  function show (text) {
    const box = document.getElementById('webauthn-error')
    if (!box) { return false }
    if (text) { box.textContent = text }
    box.classList.remove('d-none')
    return true
  }
  document.addEventListener('allauth.error', function (event) {
    const tags = (event.detail && event.detail.tags) || []
    if (tags.indexOf('webauthn') !== -1 && show()) {
      event.preventDefault()
    }
  })
  document.addEventListener('DOMContentLoaded', function () {
    if (!window.PublicKeyCredential) {
      const box = document.getElementById('webauthn-error')
      if (box) { show(box.dataset.unsupported) }
    }
  })
})()
