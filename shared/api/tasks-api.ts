/** The task methods of the StudioApi: the task a model is shown as (guessed or saved with its family) and a run as that task. */
import { z } from 'zod';
import { jobRequestFields } from './jobs';
import { TaskKindSchema, TaskOptionsSchema, TaskSettingSchema, type TaskResultDto, type TaskStateDto } from '../tasks/task-types';

const modelId = z.string().min(1).max(200);

/** Requests of the task methods. */
export const tasksRequests = {
  /** the studio's guess and the family's saved task */
  getTask: z.object({ modelId }).strict(),
  /** saves the task of the model's family (every variant is shown as it); null clears it (back to the guess) */
  setTask: z.object({ modelId, setting: TaskSettingSchema.nullable() }).strict(),
  /** runs one input file (an image or a WAV file, or a tensor file for the generic view) as a task */
  runTask: z
    .object({
      modelId,
      /** an engine-side path: a sample image, a dropped/uploaded file, or a recording saved by the server */
      inputPath: z.string().min(1).max(4096),
      /** the task; by default the family's saved one, else the guess */
      kind: z.union([TaskKindSchema, z.literal('auto')]).optional(),
      options: TaskOptionsSchema.optional(),
      targetId: z.string().min(1).max(200).optional(),
      /** a live camera frame: a background job, not listed in the jobs panel */
      live: z.boolean().optional(),
      ...jobRequestFields,
    })
    .strict(),
} as const;

/** A task run: the task chosen, how, and its result. */
export interface TaskRunDto {
  modelId: string;
  kind: TaskResultDto['kind'];
  chosenBy: 'user' | 'saved' | 'guess';
  result: TaskResultDto;
}

/** Responses of the task methods. */
export interface TasksResponses {
  getTask: TaskStateDto;
  setTask: TaskStateDto;
  runTask: TaskRunDto;
}
