import { UsageError } from "../core/errors.js";

/**
 * The chosen sounds do not fit the device (too many, too long, over its sample memory): nothing is
 * written. The message names the limit, by how much it is exceeded, and what would fit.
 */
export class KitLimitError extends UsageError {}
