using './main.bicep'

param nodeSubnetPrefix = '10.70.0.0/22'
param nodeCount = 10
