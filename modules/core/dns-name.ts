// A DNS name as record names, certificates and distributions take it: labels of letters, digits and
// hyphens, a top-level domain of letters, an optional leading wildcard label and trailing dot.
export const DNS_NAME = /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}\.?$/i;
