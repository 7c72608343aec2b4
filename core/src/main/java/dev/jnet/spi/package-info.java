/**
 * The service-provider interface: what a transport implements to carry jnet's sockets. A provider
 * registers a {@link dev.jnet.spi.ChannelTransport} for {@link java.util.ServiceLoader}; core finds
 * it by endpoint scheme and drives its channels on the shared {@link dev.jnet.spi.IoEngine}, with
 * Node's rules applied once, in core. The package also holds what implementers share: {@link
 * dev.jnet.spi.BindPlan} for server binds, {@link dev.jnet.spi.SystemErrors} for Node error codes,
 * {@link dev.jnet.spi.Capability} to declare what is missing, {@link dev.jnet.spi.PeerExpectation}
 * for clients that require a server identity, and jnet's {@link dev.jnet.spi.Log}. Unlike the API
 * in {@code dev.jnet}, this package exposes Netty's channel types.
 */
package dev.jnet.spi;
