-- AlterTable
ALTER TABLE "ModelVersion" ADD COLUMN     "metrics" JSONB;
