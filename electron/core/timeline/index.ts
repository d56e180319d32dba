// Timeline: the evidence journal indexed in an embedded SQLite store in the data folder, so any past
// run can be found by time, run, tool, decision, who decided, folder or words.
export { loadSqlite } from './sqlite-loader.js';
export {
  folderForms,
  ftsQuery,
  insertValues,
  MAX_FOLDER_BRANCHES,
  DENSE_FOLDER_ROWS,
  resolveFolder,
  TIMELINE_DECISIONS,
  TIMELINE_INSERT,
  TIMELINE_SCHEMA,
  timelineQuery,
  timelineRow,
  type FolderKey,
  type ResolvedFolder,
  type TimelineDecision,
  type TimelineFilter,
  type TimelinePaths,
  type TimelineRow,
} from './timeline-query-policy.js';
export { TimelineFollowerService, type TimelineFollowerOptions, type TimelineFollowStatus } from './timeline-follower-service.js';
export { TIMELINE_FILE, TimelineStoreService, type CatchUpResult, type TimelineOptions } from './timeline-store-service.js';
export { csvCell, CSV_COLUMNS, exportFileName, timelineCsv, timelineExport, timelineJson, timelineOtlpJson, unixNano, type TimelineExport } from './timeline-export-policy.js';
export { formatCursor, parseCursor, ROW_ATTRIBUTES, runStory, stepKind, storeFilter, timelineRowView } from './timeline-view-policy.js';
