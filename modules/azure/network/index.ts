export * from './nsg-rules.js';
export * from './virtual-network.js';
export * from './private-dns-zones.js';
export * from './private-endpoint.js';
export * from './vpn-gateway.js';
