// Resolved server settings, shared by the CLI, the app and the Workers of `tracker server`.

export interface ServerConfig {
  host: string;
  port: number;
  /** Folder of the backend store (holds the KV file) or a KV Connect URL. */
  backendStoreUri: string;
  /** Root for new experiments' artifact_location (`mlflow-artifacts:/` when serving artifacts). */
  defaultArtifactRoot: string;
  serveArtifacts: boolean;
  /** Where proxied artifacts live on disk. */
  artifactsDestination: string;
  /** "" or a prefix like "/tracker" (starts with "/", no trailing "/"). */
  staticPrefix: string;
  workers: number;
  /** Expose /metrics in Prometheus text format. */
  exposePrometheus: boolean;
  /** Host header values allowed on top of loopback/private names (DNS-rebinding guard); ["*"] = any. */
  allowedHosts?: string[];
  /** Origins allowed to change state cross-origin on top of localhost ones; ["*"] = any. */
  corsAllowedOrigins?: string[];
  /** X-Frame-Options (default SAMEORIGIN; "NONE" sends none). */
  xFrameOptions?: string;
  /** Turns the Host/Origin guard off (MLflow's --disable-security-middleware). */
  disableSecurityMiddleware?: boolean;
}

export const TRACKER_VERSION = "0.1.0";
/** What `/version` reports: the 3.x clients probe it and want an MLflow-compatible version. */
export const MLFLOW_COMPAT_VERSION = "3.18.0";
