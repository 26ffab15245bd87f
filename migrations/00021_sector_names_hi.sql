-- Sectors get Hindi names, as categories have, so that Hindi readers see
-- them in words and uploads accept them like the Japanese ones. The names
-- are kept in migrations/data/sectors.csv (name_hi).
-- +goose Up
ALTER TABLE sectors ADD COLUMN name_hi TEXT NOT NULL DEFAULT '';
UPDATE sectors SET name_hi = 'नर्सिंग देखभाल' WHERE code = 'nursing_care';
UPDATE sectors SET name_hi = 'भवन सफ़ाई' WHERE code = 'building_cleaning';
UPDATE sectors SET name_hi = 'औद्योगिक उत्पाद विनिर्माण' WHERE code = 'industrial_manufacturing';
UPDATE sectors SET name_hi = 'निर्माण' WHERE code = 'construction';
UPDATE sectors SET name_hi = 'जहाज़ निर्माण और जहाज़ी मशीनरी' WHERE code = 'shipbuilding';
UPDATE sectors SET name_hi = 'ऑटोमोबाइल रखरखाव' WHERE code = 'automobile_maintenance';
UPDATE sectors SET name_hi = 'विमानन' WHERE code = 'aviation';
UPDATE sectors SET name_hi = 'आवास' WHERE code = 'accommodation';
UPDATE sectors SET name_hi = 'ऑटोमोबाइल परिवहन' WHERE code = 'automobile_transport';
UPDATE sectors SET name_hi = 'रेलवे' WHERE code = 'railway';
UPDATE sectors SET name_hi = 'कृषि' WHERE code = 'agriculture';
UPDATE sectors SET name_hi = 'मत्स्य पालन' WHERE code = 'fisheries';
UPDATE sectors SET name_hi = 'खाद्य और पेय पदार्थ विनिर्माण' WHERE code = 'food_manufacturing';
UPDATE sectors SET name_hi = 'खाद्य सेवा' WHERE code = 'food_service';
UPDATE sectors SET name_hi = 'वानिकी' WHERE code = 'forestry';
UPDATE sectors SET name_hi = 'लकड़ी उद्योग' WHERE code = 'wood_industry';
UPDATE sectors SET name_hi = 'आईटी और सॉफ़्टवेयर' WHERE code = 'it_software';
UPDATE sectors SET name_hi = 'सेमीकंडक्टर और इलेक्ट्रॉनिक्स' WHERE code = 'semiconductors';
UPDATE sectors SET name_hi = 'अनुसंधान और शिक्षा जगत' WHERE code = 'research';
UPDATE sectors SET name_hi = 'शिक्षा और भाषा' WHERE code = 'education';
UPDATE sectors SET name_hi = 'स्वास्थ्य सेवा' WHERE code = 'healthcare';
UPDATE sectors SET name_hi = 'व्यवसाय और वित्त' WHERE code = 'business_services';
UPDATE sectors SET name_hi = 'अन्य' WHERE code = 'other';

-- +goose Down
ALTER TABLE sectors DROP COLUMN name_hi;
