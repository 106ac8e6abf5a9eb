// The JS engine behind the interface OnnxModel runs models through, so one model class serves every
// engine. int64 feeds arrive as BigInt64Array (what ONNX Runtime wants) and are held as doubles.

import type { OnnxEngine, RuntimeTensor } from "../onnx-model.ts";
import type { ZipMapOutput } from "../zipmap-rows.ts";
import { type InputInfo, JsSession, type Workload } from "./session.ts";
import { type ElemType, fromValues, type Tensor, type TensorData } from "./tensor.ts";

export class JsTensor implements Tensor {
  readonly type: ElemType;
  readonly dims: number[];
  readonly data: TensorData;

  constructor(type: ElemType, data: ArrayLike<unknown>, dims: readonly number[]) {
    this.type = type;
    this.dims = [...dims];
    if (data instanceof BigInt64Array || data instanceof BigUint64Array) {
      this.data = fromValues(type, this.dims, Array.from(data, Number)).data;
    } else if (type === "int64" || type === "uint64" || Array.isArray(data)) {
      this.data = fromValues(type, this.dims, data as ArrayLike<number>).data;
    } else {
      this.data = data as TensorData;
    }
  }
}

export class JsInferenceSession {
  readonly inputNames: string[];
  readonly outputNames: string[];
  readonly inputMetadata: { name: string; isTensor: boolean; type: string }[];
  readonly outputMetadata: { name: string; isTensor: boolean }[];
  /** ZipMap outputs come back as their probability tensors, under the output's own name. */
  readonly zipmaps: ZipMapOutput[];

  constructor(private readonly session: JsSession) {
    this.inputNames = session.inputs.map((i) => i.name);
    this.outputNames = session.outputs.map((o) => o.name);
    this.inputMetadata = session.inputs.map((i: InputInfo) => ({
      name: i.name,
      isTensor: i.type !== "unknown",
      type: i.type,
    }));
    this.zipmaps = session.zipmaps.map((z) => ({ output: z.output, source: z.output, labels: z.labels }));
    this.outputMetadata = session.outputs.map((o) => ({ name: o.name, isTensor: true }));
  }

  run(feeds: Record<string, RuntimeTensor>): Promise<Record<string, Tensor>> {
    return Promise.resolve(this.session.run(feeds as Record<string, Tensor>));
  }

  workload(): Workload {
    return this.session.workload();
  }

  release(): Promise<void> {
    return Promise.resolve();
  }
}

export const jsEngine: OnnxEngine = {
  name: "js",
  byPath: false,
  takesExternalData: false,
  tensor: (type, data, dims) => new JsTensor(type as ElemType, data, dims),
  createSession: (model) => {
    if (typeof model === "string") throw new Error("the JS engine reads models from bytes");
    return Promise.resolve(new JsInferenceSession(JsSession.create(model)));
  },
};
