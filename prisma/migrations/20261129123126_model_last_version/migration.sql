-- Version numbers are never given twice, even after a version is deleted: the model keeps the highest one given out.

-- AlterTable
ALTER TABLE "Model" ADD COLUMN     "lastVersion" INTEGER NOT NULL DEFAULT 0;
UPDATE "Model" m SET "lastVersion" = COALESCE((SELECT max(v."version") FROM "ModelVersion" v WHERE v."modelId" = m."id"), 0);
