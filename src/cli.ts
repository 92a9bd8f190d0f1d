#!/usr/bin/env node
console.log('briefwire');
