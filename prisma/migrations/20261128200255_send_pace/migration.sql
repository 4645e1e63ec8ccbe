-- CreateTable
CREATE TABLE "SendPace" (
    "channel" TEXT NOT NULL,
    "nextAt" TIMESTAMPTZ(6) NOT NULL,

    CONSTRAINT "SendPace_pkey" PRIMARY KEY ("channel")
);
