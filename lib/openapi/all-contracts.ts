/**
 * Every route.schema.ts of app/api, so GET /api/openapi.json documents every route. Add one line per schema file
 * (all-contracts.test.ts fails when one is missing).
 */
import type { ApiContract } from "./contract";
import { contracts as accountPassword } from "@/app/api/account/password/route.schema";
import { contracts as audit } from "@/app/api/audit/route.schema";
import { contracts as health } from "@/app/api/health/route.schema";
import { contracts as openapi } from "@/app/api/openapi.json/route.schema";
import { contracts as tokens } from "@/app/api/tokens/route.schema";
import { contracts as tokenById } from "@/app/api/tokens/[id]/route.schema";
import { contracts as users } from "@/app/api/users/route.schema";
import { contracts as userById } from "@/app/api/users/[id]/route.schema";
import { contracts as models } from "@/app/api/models/route.schema";
import { contracts as model } from "@/app/api/models/[name]/route.schema";
import { contracts as modelVersions } from "@/app/api/models/[name]/versions/route.schema";
import { contracts as modelVersion } from "@/app/api/models/[name]/versions/[version]/route.schema";
import { contracts as modelVersionDownload } from "@/app/api/models/[name]/versions/[version]/download/route.schema";
import { contracts as alias } from "@/app/api/models/[name]/aliases/[alias]/route.schema";
import { contracts as aliasRollback } from "@/app/api/models/[name]/aliases/[alias]/rollback/route.schema";
import { contracts as endpoints } from "@/app/api/endpoints/route.schema";
import { contracts as endpoint } from "@/app/api/endpoints/[name]/route.schema";
import { contracts as endpointTry } from "@/app/api/endpoints/[name]/try/route.schema";
import { contracts as endpointRollout } from "@/app/api/endpoints/[name]/rollout/route.schema";
import { contracts as endpointRolloutAction } from "@/app/api/endpoints/[name]/rollout/[action]/route.schema";
import { contracts as endpointFeedback } from "@/app/api/endpoints/[name]/feedback/route.schema";
import { contracts as endpointExperiment } from "@/app/api/endpoints/[name]/experiment/route.schema";
import { contracts as endpointExplain } from "@/app/api/endpoints/[name]/explain/route.schema";
import { contracts as promotionDecision } from "@/app/api/models/[name]/promotions/[id]/[decision]/route.schema";
import { contracts as alerts } from "@/app/api/alerts/route.schema";
import { contracts as alertsReview } from "@/app/api/alerts/review/route.schema";
import { contracts as alertById } from "@/app/api/alerts/[id]/route.schema";
import { contracts as alertAcknowledge } from "@/app/api/alerts/[id]/acknowledge/route.schema";
import { contracts as alertResolve } from "@/app/api/alerts/[id]/resolve/route.schema";
import { contracts as alertMute } from "@/app/api/alerts/[id]/mute/route.schema";
import { contracts as alertUnmute } from "@/app/api/alerts/[id]/unmute/route.schema";
import { contracts as alertAssign } from "@/app/api/alerts/[id]/assign/route.schema";
import { contracts as alertComments } from "@/app/api/alerts/[id]/comments/route.schema";
import { contracts as webhooks } from "@/app/api/webhooks/route.schema";
import { contracts as webhookById } from "@/app/api/webhooks/[id]/route.schema";
import { contracts as webhookDeliveries } from "@/app/api/webhooks/[id]/deliveries/route.schema";
import { contracts as webhookTest } from "@/app/api/webhooks/[id]/test/route.schema";
import { contracts as controlPlaneMetrics } from "@/app/api/metrics/route.schema";
import { contracts as endpointMetrics } from "@/app/api/endpoints/[name]/metrics/route.schema";
import { contracts as endpointPredictions } from "@/app/api/endpoints/[name]/predictions/route.schema";
import { contracts as fleet } from "@/app/api/fleet/route.schema";
import { contracts as endpointDrift } from "@/app/api/endpoints/[name]/drift/route.schema";
import { contracts as endpointDriftEvaluate } from "@/app/api/endpoints/[name]/drift/evaluate/route.schema";
import { contracts as endpointDriftHistory } from "@/app/api/endpoints/[name]/drift/history/route.schema";
import { contracts as endpointSettings } from "@/app/api/endpoints/[name]/settings/route.schema";
import { contracts as endpointSettingKind } from "@/app/api/endpoints/[name]/settings/[kind]/route.schema";

export const allContracts: ApiContract[] = [
  accountPassword, audit, health, openapi, tokens, tokenById, users, userById,
  models, model, modelVersions, modelVersion, modelVersionDownload, alias, aliasRollback, promotionDecision,
  endpoints, endpoint, endpointTry, endpointRollout, endpointRolloutAction, endpointFeedback, endpointExperiment, endpointExplain,
  alerts, alertsReview, alertById, alertAcknowledge, alertResolve, alertMute, alertUnmute, alertAssign, alertComments,
  webhooks, webhookById, webhookDeliveries, webhookTest, controlPlaneMetrics,
  endpointMetrics, endpointPredictions, fleet, endpointDrift, endpointDriftEvaluate, endpointDriftHistory, endpointSettings, endpointSettingKind,
].flat();
