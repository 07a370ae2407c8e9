using './main.bicep'

param nodeSubnetPrefix = '10.70.0.0/26' // mistake: 3 nodes + 1 surge, 31 addresses each = 124 of 59 usable
param nodeCount = 3
