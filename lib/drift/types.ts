// Shapes shared by the drift modules. Field names of FeatureDrift follow DESIGN.md's drift payload.

export type FeatureKind = "numeric" | "categorical";

/** p-value tests drift when value ≤/ < threshold; distances drift when value ≥ threshold. */
export type DriftMethod = "ks" | "chisquare" | "z" | "wasserstein_norm" | "jensen_shannon" | "psi" | "linf";

export type DriftStats = {
  psi: number | null;
  ks: number | null;
  ks_pvalue: number | null;
  wasserstein_norm: number | null;
  jensen_shannon: number | null;
  chi2?: number | null;
  chi2_pvalue?: number | null;
  linf?: number | null;
  z_pvalue?: number | null;
};

export type FeatureDrift = {
  name: string;
  kind: FeatureKind;
  method: DriftMethod;
  /** The chosen method's value; null when either side has no usable values. */
  value: number | null;
  threshold: number;
  drifted: boolean;
  stats: DriftStats;
  /** Rows seen on each side (valid, i.e. not missing), for context. */
  referenceRows: number;
  currentRows: number;
};

export type DatasetDrift = {
  datasetDrift: boolean;
  driftedFeatures: number;
  totalFeatures: number;
  share: number;
  driftShare: number;
};

/** Per-feature override of Evidently's default method and threshold. */
export type DriftOverride = { method?: DriftMethod; threshold?: number };
