/** The demo's task bar: the task the model is shown as (guessed, saved or picked), why, and saving it for the family. */
import { Button, Callout, HTMLSelect, Tag } from '@blueprintjs/core';
import { TASK_KINDS, TASK_TITLES, type TaskKind } from '../../../shared/tasks/task-types';
import { demoSelectors, useStudio } from '../../store';

/** Renders the bar. */
export function TaskBar() {
  const task = useStudio(demoSelectors.task);
  const kind = useStudio(demoSelectors.taskKind);
  const setKind = useStudio((s) => s.setDemoTaskKind);
  const save = useStudio((s) => s.saveDemoTask);
  if (!task || !kind) return null;
  const saved = task.setting?.kind;
  const origin = saved === kind ? 'saved for this model' : kind === task.guess.kind && !saved ? `guessed (${task.guess.confidence} confidence)` : 'your choice (not saved)';
  const ask = task.guess.confidence === 'ask' && !saved;
  return (
    <div className="ds-task-bar" data-testid="demo-task-bar">
      <div className="ds-task-bar-row">
        <label htmlFor="demo-task-select">Task</label>
        <HTMLSelect id="demo-task-select" value={kind} onChange={(e) => setKind(e.target.value as TaskKind)} data-testid="demo-task-select" options={TASK_KINDS.map((k) => ({ value: k, label: TASK_TITLES[k] }))} />
        <Tag minimal intent={ask && kind === task.guess.kind ? 'warning' : 'none'} data-testid="demo-task-origin" title={task.guess.reasons.join('\n')}>
          {origin}
        </Tag>
        <Button small icon="floppy-disk" disabled={saved === kind} onClick={() => void save()} data-testid="demo-task-save" title="Every variant of this model is shown as this task, here and in run --task auto">
          Save for this model
        </Button>
        {saved && (
          <Button small minimal icon="reset" onClick={() => void save(true)} data-testid="demo-task-forget">
            Back to the guess
          </Button>
        )}
      </div>
      {ask && (
        <Callout intent="warning" icon="help" title="Which task is this model?" data-testid="demo-task-ask">
          The shapes fit more than one task; the studio guesses {TASK_TITLES[task.guess.kind].toLowerCase()} ({task.guess.reasons.join('; ')}). Pick the task above and save it.
        </Callout>
      )}
    </div>
  );
}
