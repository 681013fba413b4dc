/** One schema step: `sql` runs in one transaction that then sets user_version = version. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}
