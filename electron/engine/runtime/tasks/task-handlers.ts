/** The task methods' StudioApi handlers: the guess and the family's saved task, and a run as a task (a job). */
import type { FeatureHandlers, StudioEngine } from '../../studio-engine';
import { runtimeFor } from '../engine-runtime';
import { familyRunSettings } from '../inputs/preprocess-state';
import { familyInputSpec } from '../model-input-spec';
import { runTask } from './run-task';
import { setTaskSetting, taskReadableCheck, taskState } from './task-state';

/** @returns the task methods of the StudioApi. */
export function taskHandlers(engine: StudioEngine): FeatureHandlers {
  return {
    getTask: async (req) => taskState(engine, req.modelId),
    setTask: async (req) => setTaskSetting(engine, req.modelId, req.setting ? { kind: req.setting.kind, options: req.setting.options ?? {} } : null),
    runTask: async (req) => {
      const loaded = engine.loadedModel(req.modelId);
      const state = taskState(engine, req.modelId);
      const job = engine.jobs.start(
        req.live ? 'run-task-live' : 'run-task',
        `Demo ${loaded.fileName}`,
        async (ctx) => {
          const run = await runTask(runtimeFor(engine), loaded, {
            inputPath: req.inputPath,
            kind: req.kind,
            setting: state.setting ?? undefined,
            options: req.options,
            spec: familyInputSpec(engine, loaded),
            family: familyRunSettings(engine, loaded),
            targetId: req.targetId,
            checkReadable: taskReadableCheck(engine, loaded),
            signal: ctx.signal,
            onProgress: (f, stage) => ctx.progress(f, stage),
          });
          ctx.log(`${run.kind} on ${run.result.inputFile}: ${run.result.runs} run(s) in ${run.result.latencyMs.toFixed(1)} ms`);
          return { modelId: req.modelId, kind: run.kind, chosenBy: run.chosenBy, result: run.result };
        },
        req.jobId,
      );
      return job.result;
    },
  };
}
