/**
 * The network transport between a driver and executors in other JVMs (the YARN backend), and
 * between executors for shuffle blocks. One Netty transport carries both; every connection
 * authenticates with the application secret before a single byte is decoded
 * ({@link io.weft.network.auth.AuthProtocol}).
 *
 * <p>Layers: {@code auth} (handshake handlers), {@code protocol} (Avro messages generated from
 * {@code src/main/avro/weft-rpc.avdl} and framing: records and bytes, no engine types),
 * {@code rpc} (asks, replies and the handler contract), {@code shuffle} (block server and
 * fetcher), {@code endpoint} (driver and executor message handling, and {@code TaskMessages},
 * which converts the scheduler's task records to and from their messages).
 *
 * <h2>How a cluster backend assembles it</h2>
 *
 * <pre>{@code
 * // driver (in the ApplicationMaster)
 * TransportConf tc = TransportConf.from(conf);
 * TransportServer driverServer = new TransportServer(tc, secret, "0.0.0.0", 0,
 *     new DriverEndpointHandler(driverEndpoint, backendHandler));   // backendHandler: Register-
 * int driverPort = driverServer.port();                             // Executor, TaskStatus, Heartbeat
 * // on RegisterExecutor: keep reply.connection(), setAttachment(executorId), reply RegisteredExecutor;
 * // launchTask: connection.send(TaskMessages.toLaunchTask(task)); killTask: send(new KillTask(id, why));
 * // on TaskStatus: callbacks.taskEnded(id, TaskMessages.outcome(status, userLoader));
 * // connectionClosed(connection): callbacks.executorLost((String) connection.attachment(), ...)
 *
 * // executor (in its container)
 * IndexShuffleBlockResolver shuffles = new IndexShuffleBlockResolver(localDirs, defaultIndexCacheBytes);
 * TransportServer blockServer = new TransportServer(tc, secret, "0.0.0.0", 0,
 *     new BlockFetchHandler(shuffles, RpcHandler.REJECT_ALL));
 * TransportClientFactory fetchClients = new TransportClientFactory(tc, secret, RpcHandler.REJECT_ALL);
 * ExecutorMessageHandler control = new ExecutorMessageHandler(reason -> shutDown(reason));
 * TransportClientFactory controlClients = new TransportClientFactory(tc, secret, control);
 * TransportClient driver = controlClients.createClient(driverHost, driverPort);
 * RegisteredExecutor reply = driver.ask(new RegisterExecutor(id, host, blockServer.port(), cores, resourceId),
 *     RegisteredExecutor.class).get();          // carries the driver's settings: conf
 * shuffles.setCacheBytes(conf.get(ShuffleOptions.INDEX_CACHE_SIZE));   // sized once the settings are known
 * UnifiedMemoryManager memory = UnifiedMemoryManager.fromConf(conf, Runtime.getRuntime().maxMemory());
 * BlockManager blockManager = new BlockManager(localDirs, memory, serializer);
 * ExecutorEnv env = new ExecutorEnv(id, host, blockServer.port(), conf, localDirs, shuffles, blockManager,
 *     memory, new NettyShuffleBlockFetcher(id, localDirs, shuffles, fetchClients),
 *     new RemoteDriverEndpoint(driver));
 * Executor executor = new Executor(env, cores, userLoader,
 *     (taskId, outcome) -> driver.send(TaskMessages.toTaskStatus(taskId, outcome)), placement, onVmError);
 * control.bind(executor);   // runs the launches the driver sent before this point, then the rest
 * }</pre>
 *
 * <p>{@code executor.ExecutorProcess} is the real assembly.
 *
 * <p>Threading: {@link io.weft.network.rpc.RpcHandler}s run on Netty threads and must not block;
 * {@code ask} returns a future; {@code createClient}/{@code getClient} and the fetcher block the
 * calling thread. Hard-won details: {@code docs/NETWORK-NOTES.md}.
 */
package io.weft.network;
