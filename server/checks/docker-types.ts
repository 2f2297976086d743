/**
 * The Docker Engine API (v1.41) response shapes the checks read, typed with only the fields we use.
 * Everything is optional where the engine omits zero values (`omitempty`), so the evaluator has to
 * decide what an absent field means instead of trusting a guess.
 */

export type Labels = Record<string, string>;

export interface DockerInfo {
  Name?: string;
  Swarm?: {
    NodeID?: string;
    NodeAddr?: string;
    /** inactive | pending | active | error | locked */
    LocalNodeState?: string;
    ControlAvailable?: boolean;
    Error?: string;
    Cluster?: { ID?: string; Spec?: { Orchestration?: { TaskHistoryRetentionLimit?: number } } };
  };
}

export interface DockerContainer {
  Id: string;
  Names?: string[];
  Image?: string;
  State?: string;
  Status?: string;
  Labels?: Labels;
}

export interface DockerVolume {
  Name: string;
  Driver?: string;
  Labels?: Labels | null;
}

export interface SwarmNode {
  ID: string;
  Spec?: { Role?: string; Availability?: string; Labels?: Labels };
  Description?: { Hostname?: string };
  Status?: { State?: string; Addr?: string };
  ManagerStatus?: { Leader?: boolean; Reachability?: string; Addr?: string };
}

/** UpdateConfig and RollbackConfig share one shape; durations are nanoseconds. */
export interface UpdatePolicy {
  Parallelism?: number;
  Delay?: number;
  FailureAction?: string;
  Monitor?: number;
  MaxFailureRatio?: number;
  Order?: string;
}

export interface FileReference {
  /** UID and GID are strings in the API; Mode is the numeric file mode (292 = 0444). */
  File?: { Name?: string; UID?: string; GID?: string; Mode?: number };
  SecretName?: string;
  ConfigName?: string;
}

export interface ResourceAmounts {
  NanoCPUs?: number;
  MemoryBytes?: number;
}

export interface PortConfig {
  Protocol?: string;
  TargetPort?: number;
  PublishedPort?: number;
  PublishMode?: string;
}

/** Durations are nanoseconds; Condition is none | on-failure | any. */
export interface RestartPolicy {
  Condition?: string;
  Delay?: number;
  MaxAttempts?: number;
  Window?: number;
}

export interface ServiceSpec {
  Name: string;
  Labels?: Labels;
  TaskTemplate?: {
    ContainerSpec?: {
      Image?: string;
      Env?: string[];
      Healthcheck?: { Test?: string[] };
      Secrets?: FileReference[];
      Configs?: FileReference[];
    };
    Resources?: { Limits?: ResourceAmounts; Reservations?: ResourceAmounts };
    Placement?: { Constraints?: string[] };
    RestartPolicy?: RestartPolicy;
    Networks?: { Target: string; Aliases?: string[] }[];
  };
  Mode?: { Replicated?: { Replicas?: number }; Global?: Record<string, never> };
  UpdateConfig?: UpdatePolicy;
  RollbackConfig?: UpdatePolicy;
  EndpointSpec?: { Mode?: string; Ports?: PortConfig[] };
}

export interface SwarmService {
  ID: string;
  Spec: ServiceSpec;
  /**
   * The spec before the last update. An automatic rollback clears it; `docker service rollback` swaps it with
   * the spec it leaves, so after a manual rollback it is still there (swarmkit's updater and controlapi).
   */
  PreviousSpec?: ServiceSpec;
  Endpoint?: { Ports?: PortConfig[] };
  UpdateStatus?: { State?: string; Message?: string; StartedAt?: string; CompletedAt?: string };
}

export interface SwarmTask {
  ID: string;
  ServiceID: string;
  NodeID?: string;
  Slot?: number;
  CreatedAt?: string;
  DesiredState?: string;
  Status?: { State?: string; Message?: string; Err?: string; Timestamp?: string; ContainerStatus?: { ContainerID?: string; ExitCode?: number } };
  Spec?: { ContainerSpec?: { Image?: string } };
}

export interface DockerNetwork {
  Id: string;
  Name: string;
  Driver?: string;
  Scope?: string;
  Attachable?: boolean;
  Internal?: boolean;
  Labels?: Labels | null;
}

export interface SwarmObject {
  ID: string;
  Spec?: { Name?: string; Labels?: Labels };
}
