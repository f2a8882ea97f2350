/** The demo's task models (scripts/train-task-models.py): trained once into test/fixtures/generated/tasks, then cached. */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { GENERATED, ROOT } from '../fixtures';

export const TASKS_DIR = path.join(GENERATED, 'tasks');
const MADE = ['shapes-detector.onnx', 'shapes-segmenter.onnx', 'image-invert.onnx', 'shapes-test-64.png', 'shapes-test-256.png', 'vad.onnx', 'vad-test.wav'];

/**
 * Trains the task models when any is missing (a few minutes on 2 cores; needs python3-torch, python3-onnx, espeak-ng).
 * @returns the path of a file in the folder
 */
export function taskFile(name: string): string {
  if (MADE.some((f) => !fs.existsSync(path.join(TASKS_DIR, f)))) {
    execFileSync('/usr/bin/python3', [path.join(ROOT, 'scripts', 'train-task-models.py'), TASKS_DIR], { stdio: 'inherit' });
  }
  return path.join(TASKS_DIR, name);
}

/** The shapes drawn in a test image, in its pixels. */
export interface ShapeTruth {
  width: number;
  height: number;
  shapes: Array<{ label: string; box: [number, number, number, number] }>;
}

/** @returns the ground truth written beside a test input. */
export function truthOf<T = ShapeTruth>(name: string): T {
  return JSON.parse(fs.readFileSync(taskFile(name), 'utf8')) as T;
}
