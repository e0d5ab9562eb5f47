package dev.trainyard.platform.workers;

/**
 * Who is calling a worker endpoint: the worker token. Worker controllers take it as a parameter (like
 * {@link dev.trainyard.platform.auth.Caller} for user endpoints); a worker id in a path must have been registered
 * with the same token ({@link WorkerService#requireOwned}).
 */
public record WorkerPrincipal(long tokenId, String tokenName) {}
