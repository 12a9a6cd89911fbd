// Submits forms marked data-auto-submit once the page has loaded. A person following a
// one-click link from a mail answers with that single click; a mail scanner that only
// fetches the link (and runs no script) changes nothing.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("form[data-auto-submit]").forEach(function (form) {
    form.submit();
  });
});
