/*
 * The check-in at the door (templates/admin/meetings/meeting/check_in.html), made quicker:
 * - the search filters the list as one types (the search form still works without script);
 * - a tap on "Einchecken"/"Zurücknehmen" is sent with fetch and answered with JSON, so the
 *   page does not reload; the row, its button and the counts change in place.
 * Without this script every form posts as usual and the page comes back.
 */
(function () {
  "use strict";

  function normalise(text) {
    return text.toLocaleLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }

  function setUpSearch(list) {
    const form = document.getElementById("check-in-search");
    const input = document.getElementById("check-in-q");
    const noMatch = document.getElementById("check-in-no-match");
    if (!form || !input) {
      return;
    }
    // A search the server made (?q=…) is left to the server: Enter searches again.
    const serverSearch = input.defaultValue.trim() !== "";
    const rows = Array.from(list.querySelectorAll(".check-in-row"));
    rows.forEach((row) => {
      row.dataset.searchNormalised = normalise(row.dataset.search || "");
    });
    function filter() {
      const words = normalise(input.value).split(/\s+/).filter(Boolean);
      let shown = 0;
      rows.forEach((row) => {
        const match = words.every((word) => row.dataset.searchNormalised.includes(word));
        row.hidden = !match;
        if (match) {
          shown += 1;
        }
      });
      if (noMatch && rows.length > 0) {
        noMatch.hidden = shown > 0;
      }
    }
    input.addEventListener("input", filter);
    // The list filters itself; Enter only closes the phone's keyboard.
    form.addEventListener("submit", (event) => {
      if (serverSearch) {
        return;
      }
      event.preventDefault();
      filter();
      input.blur();
    });
  }

  function announce(text, isError) {
    const status = document.getElementById("check-in-status");
    if (!status) {
      return;
    }
    status.textContent = text;
    status.classList.toggle("is-error", Boolean(isError));
  }

  function updateCounts(data) {
    const checkedIn = document.getElementById("count-checked-in");
    const expected = document.getElementById("count-expected");
    if (checkedIn && typeof data.checked_in === "number") {
      checkedIn.textContent = String(data.checked_in);
    }
    if (expected && typeof data.expected === "number") {
      expected.textContent = String(data.expected);
    }
  }

  function updateRow(form, data) {
    const row = form.closest(".check-in-row");
    row.classList.toggle("is-present", data.present);
    form.querySelector('input[name="present"]').value = data.present ? "0" : "1";
    form.querySelector("button").textContent = data.button;
    const time = row.querySelector('[data-role="time"]');
    if (time) {
      time.textContent = data.time;
    }
  }

  async function send(form) {
    const button = form.querySelector("button");
    const token = form.querySelector('input[name="csrfmiddlewaretoken"]');
    button.disabled = true;
    form.closest(".check-in-row").setAttribute("aria-busy", "true");
    try {
      const response = await fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        credentials: "same-origin",
        headers: {
          Accept: "application/json",
          "X-CSRFToken": token ? token.value : "",
        },
      });
      const type = response.headers.get("Content-Type") || "";
      if (!type.includes("application/json")) {
        // Logged out, or another answer than the check-in's: let the page handle it.
        form.submit();
        return;
      }
      const data = await response.json();
      if (!response.ok) {
        announce(data.error || "", true);
        return;
      }
      updateRow(form, data);
      updateCounts(data);
      announce(data.message, false);
    } catch (error) {
      // No connection: the plain form tries again and shows what happened.
      form.submit();
    } finally {
      button.disabled = false;
      form.closest(".check-in-row").removeAttribute("aria-busy");
    }
  }

  function setUpTaps(list) {
    list.addEventListener("submit", (event) => {
      const form = event.target.closest("form.check-in-toggle");
      if (!form || !window.fetch) {
        return;
      }
      event.preventDefault();
      send(form);
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    const list = document.getElementById("check-in-list");
    if (!list) {
      return;
    }
    setUpSearch(list);
    setUpTaps(list);
  });
})();
