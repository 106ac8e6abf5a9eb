// The JS engine behind the small part of onnxruntime-common's API that OnnxModel uses, so one model class
// serves both engines. int64 feeds arrive as BigInt64Array (what ORT wants) and are held as doubles.

import { type InputInfo, JsSession } from "./session.ts";
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

  constructor(private readonly session: JsSession) {
    this.inputNames = session.inputs.map((i) => i.name);
    this.outputNames = session.outputs.map((o) => o.name);
    this.inputMetadata = session.inputs.map((i: InputInfo) => ({
      name: i.name,
      isTensor: i.type !== "unknown",
      type: i.type,
    }));
    this.outputMetadata = session.outputs.map((o) => ({ name: o.name, isTensor: o.kind === "tensor" }));
  }

  run(feeds: Record<string, Tensor>): Promise<Record<string, Tensor>> {
    return Promise.resolve(this.session.run(feeds));
  }

  release(): Promise<void> {
    return Promise.resolve();
  }
}

export const jsRuntime = {
  Tensor: JsTensor,
  InferenceSession: {
    create(model: Uint8Array): Promise<JsInferenceSession> {
      return Promise.resolve(new JsInferenceSession(JsSession.create(model)));
    },
  },
};

export type JsRuntime = typeof jsRuntime;
