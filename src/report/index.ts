/** The HTML report: build it from an export folder, serve it locally, and the image renderers. */
export {
  BUILD_REPORT_DEFAULTS,
  type BuildReportOptions,
  type BuildReportResult,
  buildReport,
  ImagePrimer,
  type PrimedImages,
  REPORT_ASSETS_DIR,
} from "./build.js";
export { renderHtml } from "./html.js";
export type { BatchSummary, CardData, ReportModel } from "./model.js";
export * from "./render/index.js";
export {
  contentType,
  parseRange,
  type ReportServer,
  SERVE_DEFAULTS,
  type ServeOptions,
  serveReport,
} from "./serve.js";
