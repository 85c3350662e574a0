-- Edited by hand after drizzle-kit: 0.31 splits an expression inside an index at its comma.
DROP INDEX `participants_leaderboard`;--> statement-breakpoint
CREATE INDEX `participants_leaderboard` ON `participants` (`session_id`, "score" DESC, coalesce("finished_at", 9007199254740991), `joined_at`);
