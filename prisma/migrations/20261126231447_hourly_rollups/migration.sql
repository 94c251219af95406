-- CreateTable
CREATE TABLE "MetricRollupHour" (
    "endpointId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "hour" TIMESTAMP(3) NOT NULL,
    "minuteRows" INTEGER NOT NULL DEFAULT 0,
    "count" BIGINT NOT NULL DEFAULT 0,
    "errors" BIGINT NOT NULL DEFAULT 0,
    "latencySumMs" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "latencyBuckets" BIGINT[],
    "queueSumMs" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "batchRows" BIGINT NOT NULL DEFAULT 0,
    "shadowCount" BIGINT NOT NULL DEFAULT 0,
    "shadowAgree" BIGINT NOT NULL DEFAULT 0,
    "shadowAbsDiff" DOUBLE PRECISION NOT NULL DEFAULT 0,

    CONSTRAINT "MetricRollupHour_pkey" PRIMARY KEY ("endpointId","version","hour")
);

-- CreateIndex
CREATE INDEX "MetricRollupHour_endpointId_hour_idx" ON "MetricRollupHour"("endpointId", "hour");

-- CreateIndex
CREATE INDEX "MetricRollupHour_hour_idx" ON "MetricRollupHour"("hour");
