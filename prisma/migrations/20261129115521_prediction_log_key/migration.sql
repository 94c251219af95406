-- A request id may repeat in the prediction log (a client reusing ids keeps every sampled row); the data plane's own
-- per-row key is what makes a retried flush insert a row once. Rows logged before this migration had unique request
-- ids, so those serve as their keys.

-- DropIndex
DROP INDEX "PredictionLog_requestId_key";

-- AlterTable
ALTER TABLE "PredictionLog" ADD COLUMN     "logKey" TEXT;
UPDATE "PredictionLog" SET "logKey" = "requestId";
ALTER TABLE "PredictionLog" ALTER COLUMN "logKey" SET NOT NULL;

-- CreateIndex
CREATE UNIQUE INDEX "PredictionLog_logKey_key" ON "PredictionLog"("logKey");

-- CreateIndex
CREATE INDEX "PredictionLog_requestId_idx" ON "PredictionLog"("requestId");
