/** What a gradient rule sees of one forward node: its tensors' shapes, its outputs' gradients, and where to add its inputs'. */
import type { NodeProto } from '../onnx/proto';
import type { GradEmitter } from './grad-emitter';

export interface GradContext {
  readonly node: NodeProto;
  readonly e: GradEmitter;
  /** the static shape of a tensor, from the shape probe (batch dimension as probed) */
  shape(name: string): number[];
  /** the gradient of output `i` (undefined when nothing downstream needs it) */
  dOut(i: number): string | undefined;
  /** whether input `i` needs a gradient (it leads to a trainable tensor) */
  needs(i: number): boolean;
  /** adds a gradient contribution to input `i` */
  give(i: number, grad: string): void;
  /** an int attribute */
  int(name: string, fallback: number): number;
  /** an ints attribute */
  ints(name: string): number[] | undefined;
  /** a float attribute */
  float(name: string, fallback: number): number;
  /** a string attribute */
  str(name: string, fallback: string): string;
  /** the integer values of a constant input (an initializer or a Constant node), when it is one */
  constInts(i: number): number[] | undefined;
}

/**
 * One operator's gradient: emits the nodes that compute its inputs' gradients from its outputs'.
 * @throws GradUnsupported for attribute combinations the rule cannot differentiate
 */
export type GradRule = (c: GradContext) => void;

/** An operator or an attribute combination the differentiator does not handle. */
export class GradUnsupported extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GradUnsupported';
  }
}

/** Forward-node changes a rule needs (extra outputs such as MaxPool's indices). */
export type ForwardPatch = (node: NodeProto, fresh: (hint: string) => string) => void;
