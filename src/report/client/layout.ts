/**
 * Sizes the page's style and script share: the card list is virtual (only the rows on screen
 * exist), so the script must know every row's height without measuring it.
 */
export const LAYOUT = {
  /** Source (or section) heading row, px. */
  h2: 46,
  /** Category heading row, px. */
  h3: 34,
  /** Card height, px (fixed: the content is clipped to it). */
  card: 160,
  /** Gap below a card row and between cards, px. */
  gap: 10,
  /** Narrowest card, px: the number of columns follows from the list's width. */
  minCard: 280,
  /** Rows kept beyond the screen, above and below, px. */
  overscan: 600,
} as const;

/** Map colours by category (the legend and the cards' category mark use them too). */
export const CATEGORY_COLOURS = {
  pads: "#6fd6c8",
  swells: "#f0b429",
  clouds: "#c3a6ff",
  hiss: "#9aa5b1",
} as const;
