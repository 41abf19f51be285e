// A form marked data-busy shows its "working…" note and cannot be sent twice while a
// long request (checking or importing a large file) runs. Without this script the
// pages work the same; the note beside the button says how long it takes.
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (!form.matches("form[data-busy]")) {
    return;
  }
  if (form.dataset.sent) {
    event.preventDefault();
    return;
  }
  form.dataset.sent = "yes";
  form.querySelectorAll(".busy").forEach(function (note) {
    note.hidden = false;
  });
  form.querySelectorAll("button[type=submit]").forEach(function (button) {
    button.setAttribute("aria-disabled", "true");
  });
});
