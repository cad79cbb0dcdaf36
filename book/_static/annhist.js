// annhist book: every figure opens at full size when clicked. Figures drawn wider than the
// content column are shown scaled down; at full size their text has the size it was drawn at
// (10 pt at 100 dpi, about 14 px), the size of the page's own text.
document.addEventListener("DOMContentLoaded", () => {
  const images = document.querySelectorAll(".bd-article figure img, .bd-article .cell_output img");
  for (const img of images) {
    if (img.closest("a") || img.closest(".animation") || !img.getAttribute("src")) continue;
    const link = document.createElement("a");
    link.href = img.getAttribute("src");
    link.className = "annhist-zoom";
    link.title = "Open the figure at full size";
    img.replaceWith(link);
    link.append(img);
  }
});
