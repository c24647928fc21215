/** How many resources a run changed, created and left as they were. */
export interface ChangeSummary {
  changed: number;
  created: number;
  unchanged: number;
}
