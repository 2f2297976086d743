/** The state the panel shows for one check. */
export interface CheckState {
  status: 'unchecked' | 'passed' | 'failed';
  messages: string[];
  hint?: string;
  earned: number;
}
